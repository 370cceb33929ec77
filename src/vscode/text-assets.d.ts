// esbuild's text loader turns these imports into the file's contents (see esbuild.config.mjs).
declare module '*.yaml' {
  const text: string;
  export default text;
}
