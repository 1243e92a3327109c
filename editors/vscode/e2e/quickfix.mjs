// Drives a running code-server (with the nilmap .vsix installed) in Chromium, as a user would:
// opens a Go file with a nil-map write, waits for the error squiggle and the Problems entry,
// switches NM001 to a warning and back through the settings, applies the quick fix with Ctrl+., checks that the text changed and the squiggle left, saves,
// runs "nilmap: Show Output", then points nilmap.path at a missing file and waits for the
// "not found" message, then nilmap.interpreter at a missing Python and waits for that message. Prints one JSON object per step on stdout; exits 1 on failure.
//
// Environment: CODE_SERVER_URL (with ?folder=...), FILE_NAME (for Quick Open), SETTINGS_FILE
// (the machine settings.json, with nilmap.path), WORKSPACE_SETTINGS_FILE (the folder's
// .vscode/settings.json, for nilmap.rules), SHOTS (screenshot directory), CHROMIUM.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const url = env("CODE_SERVER_URL");
const fileName = env("FILE_NAME");
const settingsFile = env("SETTINGS_FILE");
const workspaceSettingsFile = env("WORKSPACE_SETTINGS_FILE");
const shots = env("SHOTS");
const executablePath = process.env.CHROMIUM || "/usr/lib/chromium/chromium";
const T = 60_000;

const emit = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const text = (s) => (s ?? "").replace(/\u00a0/g, " ");

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let page;
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  page.on("pageerror", (err) => emit("pageerror", { message: String(err) }));

  await page.goto(url, { waitUntil: "domcontentloaded", timeout: T });
  await page.waitForSelector(".monaco-workbench", { timeout: T });
  emit("workbench");

  // Quick Open the file.
  await page.waitForSelector(".explorer-folders-view, .explorer-viewlet", { timeout: T });
  await page.locator(".monaco-workbench").click({ position: { x: 640, y: 360 } }).catch(() => {});
  await page.keyboard.press("Control+p");
  const quickInput = page.locator(".quick-input-widget input");
  await quickInput.waitFor({ state: "visible", timeout: T });
  await quickInput.fill(fileName);
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: T });
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.tab.active[aria-label*="${fileName}"], .tab.active:has-text("${fileName}")`, { timeout: T });
  emit("opened", { file: fileName });

  // The server's diagnostic: an error squiggle in the editor.
  const squiggle = page.locator(".monaco-editor .squiggly-error");
  await squiggle.first().waitFor({ state: "attached", timeout: T });
  emit("squiggle", { count: await squiggle.count() });

  // ... and an entry in the Problems panel.
  await page.keyboard.press("Control+Shift+m");
  const problem = page.locator(".markers-panel .monaco-list-row").filter({ hasText: "NM001" });
  await problem.first().waitFor({ timeout: T });
  const problems = (await page.locator(".markers-panel .monaco-list-row").allTextContents()).map(text);
  const problemLabels = await page.locator(".markers-panel .monaco-list-row").evaluateAll(
    (rows) => rows.map((r) => r.getAttribute("aria-label") || ""));
  emit("problems", { rows: problems, labels: problemLabels.map(text) });

  // Settings reach the running server (workspace/didChangeConfiguration): NM001 as a
  // warning turns the squiggle yellow; back to error turns it red again.
  const writeWorkspaceSettings = (severity) => {
    fs.mkdirSync(path.dirname(workspaceSettingsFile), { recursive: true });
    fs.writeFileSync(workspaceSettingsFile, JSON.stringify({ "nilmap.rules": { NM001: { enabled: true, severity } } }, null, 2));
  };
  writeWorkspaceSettings("warning");
  await page.locator(".monaco-editor .squiggly-warning").first().waitFor({ state: "attached", timeout: T });
  await page.waitForFunction(() => document.querySelectorAll(".monaco-editor .squiggly-error").length === 0, null, { timeout: T });
  writeWorkspaceSettings("error");
  await squiggle.first().waitFor({ state: "attached", timeout: T });
  emit("settings", { warning: true, error_again: true });

  // Put the cursor on the write: click the squiggled text, then Ctrl+. for the quick fixes.
  const box = await squiggle.first().boundingBox();
  if (!box) throw new Error("the squiggle has no bounding box");
  await page.mouse.click(box.x + Math.min(6, box.width / 2), box.y + box.height / 2);
  await page.keyboard.press("Control+.");
  const menu = page.locator(".action-widget .monaco-list-row.action, .action-widget .action-list-item, .context-view .action-item");
  try {
    await menu.first().waitFor({ state: "visible", timeout: T });
  } catch (err) {
    const hint = await page.locator(".monaco-editor-overlaymessage, .message-widget").allTextContents().catch(() => []);
    throw new Error(`no quick fix menu after Ctrl+. (${hint.map(text).join(" | ") || "no message"}): ${err}`);
  }
  const actions = (await menu.allTextContents()).map(text).filter((t) => t.trim());
  emit("actions", { titles: actions });
  await page.screenshot({ path: path.join(shots, "vscode-quickfix.png") });

  // Apply the first quick fix that initialises the map, else the first one offered.
  const choice = menu.filter({ hasText: /make|[Ii]niti/ }).first();
  const target = (await choice.count()) > 0 ? choice : menu.first();
  const title = text(await target.textContent());
  await target.click();
  emit("applied", { title });

  // The text changed and the squiggle left.
  const lines = page.locator(".monaco-editor .view-lines");
  await page.waitForFunction(() => {
    const el = document.querySelector(".monaco-editor .view-lines");
    return el && el.textContent.replace(/\u00a0/g, " ").includes("make(map[string]int)") ||
      el && el.textContent.replace(/\u00a0/g, " ").includes("map[string]int{}");
  }, null, { timeout: T });
  await page.waitForFunction(() => document.querySelectorAll(".monaco-editor .squiggly-error").length === 0, null, { timeout: T });
  const editorText = text(await lines.first().evaluate((el) =>
    Array.from(el.querySelectorAll(".view-line")).sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent).join("\n")));
  emit("fixed", { text: editorText, squiggles: await squiggle.count() });
  await page.keyboard.press("Control+s");
  await page.waitForSelector(".tab.active:not(.dirty)", { timeout: T });
  emit("saved");
  await page.screenshot({ path: path.join(shots, "vscode-fixed.png") });

  // "nilmap: Restart Server" (the test checks the extension's log for it afterwards).
  await page.keyboard.press("F1");
  await quickInput.waitFor({ state: "visible", timeout: T });
  await quickInput.fill(">nilmap: Restart Server");
  const restartItem = page.locator(".quick-input-list .monaco-list-row").filter({ hasText: "nilmap: Restart Server" }).first();
  await restartItem.waitFor({ timeout: T });
  await restartItem.click();
  await quickInput.waitFor({ state: "hidden", timeout: T });
  emit("restarted");

  // "nilmap: Show Output" shows the extension's output channel.
  await page.keyboard.press("F1");
  await quickInput.waitFor({ state: "visible", timeout: T });
  await quickInput.fill(">nilmap: ");
  const showOutput = page.locator(".quick-input-list .monaco-list-row").filter({ hasText: "nilmap: Show Output" }).first();
  await showOutput.waitFor({ timeout: T });
  await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: "nilmap: Restart Server" }).first().waitFor({ timeout: T });
  const commands = (await page.locator(".quick-input-list .monaco-list-row").allTextContents()).map(text);
  await showOutput.click();
  // The Output view with the "nilmap" channel selected, showing the extension's log.
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".panel select")).some(
    (s) => s.selectedIndex >= 0 && s.options[s.selectedIndex].text === "nilmap"), null, { timeout: T });
  await page.waitForFunction(() => {
    const out = document.querySelector(".panel .output-view .view-lines, .panel .output .view-lines");
    return out && out.textContent.trim().length > 0;
  }, null, { timeout: T });
  emit("output", { commands, channel: "nilmap" });

  // A missing server: point nilmap.path at nothing; the extension restarts and says so.
  const settings = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
  settings["nilmap.path"] = "/nonexistent/nilmap-lsp";
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const toast = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "was not found" });
  await toast.first().waitFor({ timeout: T });
  const buttons = (await toast.first().locator(".monaco-button").allTextContents()).map(text);
  emit("missing", { message: text(await toast.first().locator(".notification-list-item-message").textContent()), buttons });
  await page.screenshot({ path: path.join(shots, "vscode-missing-server.png") });

  // No usable Python for the bundled server: say what is missing.
  delete settings["nilmap.path"];
  settings["nilmap.interpreter"] = ["/nonexistent/python3"];
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const noPython = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "needs Python 3.11" });
  await noPython.first().waitFor({ timeout: T });
  emit("no_python", { message: text(await noPython.first().locator(".notification-list-item-message").textContent()) });
  await page.screenshot({ path: path.join(shots, "vscode-missing-python.png") });
} catch (err) {
  failed = true;
  emit("error", { message: String(err && err.stack || err) });
  if (page) await page.screenshot({ path: path.join(shots, "vscode-failure.png") }).catch(() => {});
} finally {
  await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
