import fs from 'node:fs';
import type { APIRequestContext, APIResponse } from '@playwright/test';

// Server actions are public POST endpoints: anyone who knows an action's id can
// call it with any arguments, whatever the UI shows. These helpers do exactly
// that, the way a hostile client would, to prove each action checks for itself.

interface ManifestEntry {
  filename: string;
  exportedName: string;
}

export function actionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === filename && v.exportedName === exportedName);
  if (!found) throw new Error(`No server action ${exportedName} in ${filename} in the build`);
  return found[0];
}

/** Calls a useActionState-style action (prevState, input) directly with a plain object. */
export function postAction(
  request: APIRequestContext,
  path: string,
  id: string,
  input: Record<string, unknown>,
): Promise<APIResponse> {
  return request.post(path, {
    headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify(['$undefined', input]),
    maxRedirects: 0,
  });
}
