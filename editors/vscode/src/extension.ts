// The nilmap extension: starts nilmap's language server for Go files (the copy it carries, or
// the one nilmap.path names) and forwards its diagnostics and quick fixes. It reports nothing
// of its own, so it sits next to the Go extension (gopls) without duplicating anything.
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { resolveServer } from "./server";
import { INSTALL_DOCS, NOTIFY_KEYS, RESTART_KEYS, SECTION, readSettings, serverSettings } from "./settings";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let starting: Promise<void> = Promise.resolve();
let extensionContext: vscode.ExtensionContext;

function log(message: string): void {
  output.appendLine(`[${new Date().toISOString()}] ${message}`);
}

async function reportMissing(message: string): Promise<void> {
  log(message);
  const choice = await vscode.window.showErrorMessage(message, "Install instructions", "Open Settings");
  if (choice === "Install instructions") {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS));
  } else if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "nilmap.");
  }
}

async function start(): Promise<void> {
  const settings = readSettings();
  if (!settings.enable) {
    log("nilmap.enable is false: the server is not started");
    return;
  }
  const resolution = await resolveServer(extensionContext, settings, vscode.workspace.workspaceFolders?.[0]?.uri);
  for (const line of resolution.tried) {
    log(`not used: ${line}`);
  }
  if (!resolution.server) {
    void reportMissing(resolution.problem ?? "nilmap: no language server to start.");
    return;
  }
  const { command, args, origin } = resolution.server;
  log(`starting ${command} ${args.join(" ")} (${origin})`.trim());
  const serverOptions: ServerOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "go" },
      { scheme: "untitled", language: "go" },
    ],
    diagnosticCollectionName: "nilmap",
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: settings.server,
  };
  const next = new LanguageClient(SECTION, "nilmap", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
    log(`server started (${next.initializeResult?.serverInfo?.name ?? "nilmap-lsp"} ${next.initializeResult?.serverInfo?.version ?? ""})`.trim());
  } catch (err) {
    log(`the server failed to start: ${String(err)}`);
    vscode.window.showErrorMessage(`nilmap: the language server failed to start (${String(err)}). See the nilmap output.`, "Show Output")
      .then((choice) => { if (choice) { output.show(true); } });
  }
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) {
    try {
      await current.stop();
    } catch (err) {
      log(`stopping the server failed: ${String(err)}`);
    }
  }
}

function restart(): Promise<void> {
  starting = starting.then(async () => {
    await stop();
    await start();
  });
  return starting;
}

function sendSettings(): void {
  if (client?.isRunning()) {
    const settings = serverSettings();
    log(`settings changed: ${JSON.stringify(settings)}`);
    client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel("nilmap");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("nilmap.restartServer", async () => {
      log("restart requested");
      await restart();
    }),
    vscode.commands.registerCommand("nilmap.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_KEYS.some((key) => event.affectsConfiguration(key))) {
        void restart();
      } else if (NOTIFY_KEYS.some((key) => event.affectsConfiguration(key))) {
        sendSettings();
      }
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  await stop();
}
