// Reads the nilmap.* settings and finds the server executable. No VS Code UI here.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

export const SECTION = "nilmap";
export const DEFAULT_COMMAND = "nilmap-lsp";
export const INSTALL_DOCS = "https://github.com/nilmap/nilmap/blob/main/README.md#vs-code";

export type Severity = "error" | "warning" | "information" | "hint";
export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

/** What the server gets as initializationOptions and as the "nilmap" settings section. */
export interface ServerSettings {
  rules: Record<string, RuleSetting>;
  exclude: string[];
}

export interface ClientSettings {
  enable: boolean;
  path: string;
  /** The Python that runs the bundled server (a command and its arguments); empty: found. */
  interpreter: string[];
  args: string[];
  server: ServerSettings;
}

export function readSettings(): ClientSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return {
    enable: cfg.get<boolean>("enable", true),
    path: cfg.get<string>("path", "").trim(),
    interpreter: cfg.get<string[]>("interpreter", []).filter((a) => typeof a === "string" && a.trim() !== "").map(expandHome),
    args: cfg.get<string[]>("args", []).filter((a) => typeof a === "string"),
    server: serverSettings(cfg),
  };
}

export function serverSettings(cfg = vscode.workspace.getConfiguration(SECTION)): ServerSettings {
  const rules: Record<string, RuleSetting> = {};
  const raw = cfg.get<Record<string, unknown>>("rules", {}) ?? {};
  for (const [code, value] of Object.entries(raw)) {
    if (value && typeof value === "object") {
      const v = value as Record<string, unknown>;
      const rule: RuleSetting = {};
      if (typeof v.enabled === "boolean") {
        rule.enabled = v.enabled;
      }
      if (typeof v.severity === "string") {
        rule.severity = v.severity as Severity;
      }
      rules[code] = rule;
    }
  }
  const exclude = (cfg.get<string[]>("exclude", []) ?? []).filter((e) => typeof e === "string");
  return { rules, exclude };
}

/** Settings whose change needs a new server process (the rest are sent to the running one). */
export const RESTART_KEYS = ["nilmap.enable", "nilmap.path", "nilmap.interpreter", "nilmap.args"];
export const NOTIFY_KEYS = ["nilmap.rules", "nilmap.exclude"];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

/** The absolute path of the server executable, or undefined when it cannot be found. */
export function resolveCommand(configured: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = expandHome(configured || DEFAULT_COMMAND);
  if (command.includes("/") || command.includes(path.sep)) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const absolute = path.isAbsolute(command) || !folder ? path.resolve(command) : path.resolve(folder, command);
    return isExecutable(absolute) ? absolute : undefined;
  }
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}
