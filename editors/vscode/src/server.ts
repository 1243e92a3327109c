// Finds the language server to start: `nilmap.path` when set; else the server this extension
// carries (bundled/), run by a Python 3.11+ (nilmap.interpreter, the Python extension's
// interpreter, python3, python, py -3); else a `nilmap-lsp` on PATH. Says what is missing
// when none of these can run. No VS Code UI here.
import { execFile } from "child_process";
import * as fs from "fs";
import * as vscode from "vscode";

import { ClientSettings, DEFAULT_COMMAND, resolveCommand } from "./settings";

export const LAUNCHER = "bundled/tool/nilmap_server.py";

export interface ServerCommand {
  command: string;
  args: string[];
  /** How it was found, for the log: "bundled, Python 3.11.2 (/usr/bin/python3)". */
  origin: string;
}

export interface Resolution {
  server?: ServerCommand;
  /** What the user must do, when no server can start. */
  problem?: string;
  /** The Pythons tried and why each was not used. */
  tried: string[];
}

interface Probe {
  python: string;
  executable: string;
  ok: boolean;
  reason: string;
}

/** The parts of the Python extension's API used here (ms-python.python). */
interface PythonApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(env: { id: string; path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
    const executable = environment?.executable.uri?.fsPath;
    return executable ? [executable] : undefined;
  } catch {
    return undefined; // an older Python extension, or none selected: try the others
  }
}

function probe(python: string[], launcher: string): Promise<Probe | string> {
  return new Promise((resolve) => {
    execFile(python[0], [...python.slice(1), "-I", launcher, "--probe"], { timeout: 20000 }, (error, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as Probe);
      } catch {
        const why = (error as NodeJS.ErrnoException | null)?.code === "ENOENT" ? "not found" : (stderr.trim() || String(error)).split("\n").pop();
        resolve(why ?? "did not answer");
      }
    });
  });
}

async function candidates(settings: ClientSettings, resource?: vscode.Uri): Promise<string[][]> {
  if (settings.interpreter.length > 0) {
    return [settings.interpreter]; // the user's choice, and only it
  }
  const found: string[][] = [];
  const fromExtension = await pythonExtensionInterpreter(resource);
  if (fromExtension) {
    found.push(fromExtension);
  }
  found.push(["python3"], ["python"]);
  if (process.platform === "win32") {
    found.push(["py", "-3"]);
  }
  return found;
}

export async function resolveServer(
  context: vscode.ExtensionContext,
  settings: ClientSettings,
  resource?: vscode.Uri,
): Promise<Resolution> {
  const tried: string[] = [];
  if (settings.path) {
    const command = resolveCommand(settings.path);
    return command
      ? { server: { command, args: settings.args, origin: "nilmap.path" }, tried }
      : { problem: `nilmap: the language server "${settings.path}" set in nilmap.path was not found or is not executable.`, tried };
  }
  const launcher = context.asAbsolutePath(LAUNCHER);
  if (fs.existsSync(launcher)) {
    for (const python of await candidates(settings, resource)) {
      const answer = await probe(python, launcher);
      const name = python.join(" ");
      if (typeof answer === "string") {
        tried.push(`${name}: ${answer}`);
      } else if (!answer.ok) {
        tried.push(`${name} (Python ${answer.python}): ${answer.reason}`);
      } else {
        return {
          server: {
            command: python[0],
            args: [...python.slice(1), "-I", launcher, ...settings.args],
            origin: `bundled, Python ${answer.python} (${answer.executable})`,
          },
          tried,
        };
      }
    }
  }
  const onPath = resolveCommand("");
  if (onPath) {
    return { server: { command: onPath, args: settings.args, origin: `${DEFAULT_COMMAND} on PATH` }, tried };
  }
  const where = settings.interpreter.length > 0 ? "nilmap.interpreter" : "the Python extension's interpreter, python3, python";
  return {
    problem:
      `nilmap needs Python 3.11 or newer to run its language server, and found none (tried ${where}: ${tried.join("; ") || "nothing"}). ` +
      "Install Python 3.11+, or set nilmap.interpreter to one, or nilmap.path to a nilmap-lsp.",
    tried,
  };
}
