/**
 * The integration suite, run INSIDE a real VS Code (code-server or desktop): the same `run()`
 * contract as @vscode/test-electron's extensionTestsPath. Throwing fails the run. Topic files
 * register their tests on import, in this order (core first: it activates the extension).
 */
import './core';
import './runs';
import './access';
import './health';
import './treeTruth';
import './timelineLook';

export { run } from './suite';
