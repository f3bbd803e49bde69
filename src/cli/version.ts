import * as fs from 'fs';
import * as path from 'path';

/** The package version, from package.json (two folders up from src/cli or lib/cli). */
export function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
