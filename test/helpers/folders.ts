import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";

/** Every file under a folder, by relative path. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Two output folders hold the same files, byte for byte. */
export async function expectSameFolders(actual: string, expected: string): Promise<void> {
  const files = await filesUnder(actual);
  expect(files).toEqual(await filesUnder(expected));
  for (const file of files) {
    const [left, right] = await Promise.all([readFile(path.join(actual, file)), readFile(path.join(expected, file))]);
    expect(left.equals(right), `${file} differs`).toBe(true);
  }
}
