import type { Logger } from '../logger.ts';
import type { PgliteThreadEvent } from './pgliteThread.ts';

const megabytes = (bytes: number) => Math.floor(bytes / (1024 * 1024));

/** One log line per change of the embedded database's state, saying what the operator should do. */
export function logDatabaseEvent(logger: Logger, event: PgliteThreadEvent): void {
  switch (event.kind) {
    case 'stuck':
      return logger.error(
        { timeoutSeconds: event.timeoutMs / 1000 },
        'the embedded database did not answer in time (is the disk of DATA_DIR full?); restarting it, and refusing interactions until it is back',
      );
    case 'reopened':
      return logger.info('the embedded database is back');
    case 'reopenFailed':
      return logger.error(
        { err: event.error, retryInSeconds: event.retryInMs / 1000 },
        'the embedded database could not be reopened; retrying',
      );
    case 'lowDisk':
      return logger.error(
        { freeMB: megabytes(event.freeBytes), minFreeMB: megabytes(event.minFreeBytes) },
        'the disk of DATA_DIR is almost full: answers and grades are refused until space is freed (see MIN_FREE_DISK_MB)',
      );
    case 'diskOk':
      return logger.info(
        { freeMB: megabytes(event.freeBytes) },
        'the disk of DATA_DIR has space again: answers and grades are accepted',
      );
  }
}
