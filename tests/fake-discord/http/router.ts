import type { FakeContext } from '../context.ts';
import type { UploadedFile } from './bodyParsing.ts';

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RouteResponse {
  status: number;
  body?: unknown;
}

export interface RouteDefinition {
  method: string;
  template: string;
  auth: 'bot' | 'none';
  handle(context: FakeContext, request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

export function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => decodeURIComponent(segment));
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.split('/').filter((part) => part.length > 0);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

export function matchRoute(routes: RouteDefinition[], method: string, path: string): RouteMatch | 'wrongMethod' | null {
  const segments = splitPath(path);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'wrongMethod' : null;
}

export function json(body: unknown, status = 200): RouteResponse {
  return { status, body };
}

export const noContent: RouteResponse = { status: 204 };
