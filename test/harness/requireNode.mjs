// `node test/harness/requireNode.mjs 22`: stops a script early, with exact instructions, when the
// running Node is older than the tool it is about to call needs (@vscode/vsce wants Node >= 22).
const need = Number(process.argv[2] ?? '22');
const have = Number(process.versions.node.split('.')[0]);
if (have < need) {
  console.error(
    `This step needs Node ${need} or newer; this is Node ${process.versions.node}.\n` +
      `Either install Node ${need}+ from your usual source, or take it from the npm registry for this clone:\n` +
      `  npm install --no-save --prefix .ci/.tools node@${need}\n` +
      `  PATH="$PWD/.ci/.tools/node_modules/node/bin:$PATH" npm run ${process.env.npm_lifecycle_event ?? '<script>'}`,
  );
  process.exit(1);
}
