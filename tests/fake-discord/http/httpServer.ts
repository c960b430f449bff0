import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBody, type UploadedFile } from './bodyParsing.ts';
import { DiscordHttpError, discordErrors } from './discordErrors.ts';
import { matchRoute, splitPath, type RouteMatch } from './router.ts';
import { restRoutes } from './restRoutes.ts';
import { validateRequestBody } from '../validation/requestBody.ts';
import type { FakeContext } from '../context.ts';
import type { FaultSwitches } from '../state/faults.ts';
import type { RecordedRequest } from '../state/model.ts';

const API_PREFIX = '/api/v10';

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined || status === 204) {
    response.writeHead(status, headers).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function serveAttachment(context: FakeContext, path: string, response: ServerResponse): void {
  const [, attachmentId] = splitPath(path.slice('/attachments'.length));
  const bytes = attachmentId ? context.store.attachmentBytes.get(attachmentId) : undefined;
  if (!bytes) {
    response.writeHead(404).end();
    return;
  }
  response
    .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) })
    .end(bytes);
}

async function handleRest(
  context: FakeContext,
  faults: FaultSwitches,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const path = splitPath(url.pathname.slice(API_PREFIX.length))
    .map((part) => `/${part}`)
    .join('');
  const match = matchRoute(restRoutes, method, path);
  const { body, files } = await parseBody(request);
  const record: RecordedRequest = {
    method,
    route: path,
    template: match && match !== 'wrongMethod' ? match.route.template : null,
    query: Object.fromEntries(url.searchParams),
    body,
    files: files.map((file) => ({ field: file.field, filename: file.filename, size: file.bytes.length })),
    status: 0,
    time: Date.now(),
  };
  context.store.requests.push(record);
  if (match === null || match === 'wrongMethod') {
    context.store.unknownRoutes.push({ method, route: path, time: Date.now() });
    const error = match === null ? discordErrors.notFound() : discordErrors.methodNotAllowed();
    recordError(context, record, error);
    send(response, error.status, error.body, error.headers);
    return;
  }
  const result = await runRoute(context, match, record, { query: url.searchParams, files }, async () => {
    if (match.route.auth === 'bot' && request.headers.authorization !== `Bot ${context.token}`)
      throw discordErrors.unauthorized();
    await waitForArrivingReply(context, match.params.token);
    const delayMs = faults.delayFor({ method, path, template: match.route.template });
    if (delayMs > 0) await sleep(delayMs);
    const fault = faults.errorFor({ method, path, template: match.route.template });
    if (fault) throw fault;
  }).catch((error: unknown) => {
    send(response, 500, { code: 0, message: `fake discord crashed: ${String(error)}` });
    throw error;
  });
  send(response, result.status, result.body, result.headers);
}

function recordError(context: FakeContext, record: RecordedRequest, error: DiscordHttpError): void {
  record.status = error.status;
  context.store.errors.push({
    method: record.method,
    route: record.route,
    status: error.status,
    code: error.body.code ?? 0,
    message: error.body.message,
    errors: error.body.errors,
    time: Date.now(),
  });
}

/**
 * One request through its route: the checks before it (`before`), Discord's schema for the body, the route itself;
 * a refusal is recorded in `fake.errors` with Discord's error body. Also how an HTTP interaction's reply is applied.
 */
export async function runRoute(
  context: FakeContext,
  match: RouteMatch,
  record: RecordedRequest,
  request: { query: URLSearchParams; files: UploadedFile[] },
  before: () => Promise<void> = async () => undefined,
): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
  try {
    await before();
    const invalidBody = validateRequestBody(record.method, match.route.template, record.body);
    if (invalidBody) throw invalidBody;
    const result = await match.route.handle(context, {
      method: record.method,
      path: record.route,
      params: match.params,
      query: request.query,
      body: record.body,
      files: request.files,
    });
    record.status = result.status;
    return result;
  } catch (error) {
    if (!(error instanceof DiscordHttpError)) {
      record.status = 500;
      throw error;
    }
    recordError(context, record, error);
    return { status: error.status, body: error.body, headers: error.headers };
  }
}

/** An edit or follow-up waits for the HTTP reply of its interaction that has begun to arrive, as Discord orders them. */
async function waitForArrivingReply(context: FakeContext, token: string | undefined): Promise<void> {
  const arriving = token ? context.store.arrivingHttpReplies.get(token) : undefined;
  if (arriving) await arriving;
}

export function createFakeHttpServer(
  context: FakeContext,
  faults: FaultSwitches,
  onInternalError: (error: unknown) => void,
): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/attachments/')) {
      serveAttachment(context, url.pathname, response);
      return;
    }
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      context.store.unknownRoutes.push({ method: request.method ?? 'GET', route: url.pathname, time: Date.now() });
      send(response, 404, { code: 0, message: '404: Not Found' });
      return;
    }
    handleRest(context, faults, request, response, url).catch(onInternalError);
  });
}
