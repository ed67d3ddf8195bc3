/**
 * The per-operation schema modules the `@aws-sdk/client-*` packages generate
 * (`dist-es/schemas/schemas_0.js`). Their own typings describe each export;
 * the wire layer only walks them as data, so one loose declaration serves all.
 */
declare module '*/dist-es/schemas/schemas_0.js' {
  const schemas: Record<string, unknown>;
  export = schemas;
}
