-- :checkhealth nilmap
-- Neovim 0.7 finds this module through lua/**/health.lua and reports with require("health");
-- 0.8/0.9 use vim.health.report_*; 0.10+ use vim.health.start/ok/warn/error/info.
local M = {}

local function reporter()
  local h = vim.health
  if h and h.start then
    return h
  end
  local legacy = (h and h.report_start) and h or require("health")
  return {
    start = legacy.report_start,
    ok = legacy.report_ok,
    info = legacy.report_info,
    warn = legacy.report_warn,
    error = legacy.report_error,
  }
end

local function run(cmd)
  local out = vim.fn.system(cmd)
  return vim.v.shell_error, vim.trim(out or "")
end

function M.check()
  local health = reporter()
  local nilmap = require("nilmap")
  local cfg = nilmap.config or nilmap.defaults
  local v = vim.version()
  health.start("nilmap")

  if vim.fn.has("nvim-0.7") == 1 then
    health.ok(string.format("Neovim %d.%d.%d (%s)", v.major, v.minor, v.patch,
      nilmap.has_native_config() and "vim.lsp.config/vim.lsp.enable" or "vim.lsp.start_client"))
  else
    health.error("Neovim 0.7 or newer is required")
  end

  if nilmap.config then
    health.ok("require('nilmap').setup() was called")
  else
    health.warn("require('nilmap').setup() has not been called; nilmap starts for Go buffers only after it")
  end

  local installer = require("nilmap.install")
  local cmd, origin = installer.resolve(nilmap.given_cmd)
  if cmd then
    health.ok(string.format("server: %s (%s)", table.concat(cmd, " "), origin))
    local code, out = run({ cmd[1], "--version" })
    if code == 0 and out ~= "" then
      health.info("`" .. cmd[1] .. " --version`: " .. out)
    end
  else
    local given = nilmap.given_cmd
    health.error(given and string.format("server command `%s` is not executable", given[1])
      or "no server: `nilmap-lsp` is not on PATH and :NilmapInstall has not run", {
      "Run :NilmapInstall (installs the server into " .. installer.home() .. ")",
      "or install nilmap: pipx install git+" .. installer.repository_url,
      "or point setup({ cmd = { '/path/to/nilmap-lsp' } }) at it",
      "See " .. nilmap.install_url,
    })
  end
  local python, why = installer.find_python()
  if python then
    health.info(":NilmapInstall would use " .. vim.fn.exepath(python) .. " and install from " .. installer.default_source())
  else
    health.info(":NilmapInstall cannot run here: " .. why)
  end

  if vim.fn.executable("go") == 1 then
    health.ok("go found: " .. vim.fn.exepath("go"))
  else
    health.info("go is not on PATH (not needed by nilmap, only to build the fixed code)")
  end

  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local running = 0
  for _, client in ipairs(get()) do
    if client.name == nilmap.name then
      running = running + 1
      health.info(string.format("client %d running, root %s", client.id, tostring(client.config.root_dir)))
    end
  end
  if running == 0 then
    health.info("no nilmap client is running (open a Go file to start one)")
  end
end

return M
