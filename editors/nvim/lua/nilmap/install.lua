-- Where the nilmap language server comes from, and :NilmapInstall.
--
-- The server is, in order: the `cmd` given to setup(); `nilmap-lsp` on PATH; the managed
-- environment this plugin installs, a Python virtual environment under
-- stdpath("data")/nilmap (`:NilmapInstall`, or on first use with setup({ auto_install = true })).
-- The managed environment is made with a Python 3.11+ (`python3`, `python`) and filled
-- with pip from the repository this plugin is part of (the same version as the plugin), or
-- from `source` when given. Debian and Ubuntu refuse pip on their own Python, which is why
-- it goes into an environment of its own.
local M = {}

M.repository_url = "https://github.com/nilmap/nilmap"

local uv = vim.loop or vim.uv

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

-- The managed environment's directory.
function M.home()
  return vim.fn.stdpath("data") .. "/nilmap/venv"
end

function M.managed_command()
  local bin = M.home() .. (vim.fn.has("win32") == 1 and "/Scripts/nilmap-lsp.exe" or "/bin/nilmap-lsp")
  if vim.fn.executable(bin) == 1 then
    return bin
  end
  return nil
end

-- The repository holding this plugin (editors/nvim is two levels below its root), when
-- this copy of the plugin is a checkout of it.
function M.plugin_repository()
  local this = debug.getinfo(1, "S").source:sub(2)
  local root = vim.fn.fnamemodify(this, ":p:h:h:h:h:h")
  if exists(root .. "/pyproject.toml") and exists(root .. "/lsp_server") then
    return root
  end
  return nil
end

function M.default_source()
  return M.plugin_repository() or ("git+" .. M.repository_url)
end

-- The server command and where it came from: (cmd, origin) or (nil, nil).
function M.resolve(configured)
  if configured then
    if vim.fn.executable(configured[1]) == 1 then
      return configured, "setup({ cmd })"
    end
    return nil, nil
  end
  if vim.fn.executable("nilmap-lsp") == 1 then
    return { vim.fn.exepath("nilmap-lsp") }, "nilmap-lsp on PATH"
  end
  local managed = M.managed_command()
  if managed then
    return { managed }, "managed environment " .. M.home()
  end
  return nil, nil
end

-- A Python 3.11+ to make the environment with, or nil and why not.
function M.find_python(candidates)
  local tried = {}
  for _, python in ipairs(candidates or { "python3", "python" }) do
    if vim.fn.executable(python) == 1 then
      local out = vim.fn.system({ python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])" })
      local major, minor = (out or ""):match("(%d+)%.(%d+)")
      if major and (tonumber(major) > 3 or (tonumber(major) == 3 and tonumber(minor) >= 11)) then
        return python, nil
      end
      table.insert(tried, python .. " is " .. vim.trim(out or "?"))
    else
      table.insert(tried, python .. " not found")
    end
  end
  return nil, "no Python 3.11 or newer (" .. table.concat(tried, ", ") .. ")"
end

local running = false

-- Makes the managed environment and installs the server into it, without blocking Neovim.
-- opts: { source = <pip requirement or path>, python = <command>, on_done = function(ok, message) }
function M.install(opts)
  opts = opts or {}
  local function finish(ok, message)
    running = false
    vim.schedule(function()
      vim.notify("nilmap: " .. message, ok and vim.log.levels.INFO or vim.log.levels.ERROR)
      if opts.on_done then
        opts.on_done(ok, message)
      end
    end)
  end
  if running then
    return
  end
  local python, why = opts.python, nil
  if not python then
    python, why = M.find_python()
  end
  if not python then
    finish(false, "cannot install the language server: " .. why .. ". Install Python 3.11+, or the server yourself: pipx install git+" .. M.repository_url)
    return
  end
  running = true
  local home = M.home()
  local source = opts.source or M.default_source()
  vim.fn.mkdir(vim.fn.fnamemodify(home, ":h"), "p")
  local pip = home .. (vim.fn.has("win32") == 1 and "/Scripts/python" or "/bin/python")
  local steps = {
    { python, "-m", "venv", "--clear", home },
    { pip, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", source },
  }
  vim.notify("nilmap: installing the language server into " .. home .. " from " .. source, vim.log.levels.INFO)
  local function step(i)
    if i > #steps then
      finish(M.managed_command() ~= nil, M.managed_command() and ("installed the language server: " .. M.managed_command())
        or "the install ran but left no nilmap-lsp in " .. home)
      return
    end
    local output = {}
    local function collect(_, data)
      for _, line in ipairs(data or {}) do
        if line ~= "" then
          table.insert(output, line)
        end
      end
    end
    local id = vim.fn.jobstart(steps[i], {
      on_stdout = collect,
      on_stderr = collect,
      on_exit = function(_, code)
        if code ~= 0 then
          local hint = i == 1 and " (on Debian and Ubuntu: sudo apt install python3-venv)" or ""
          finish(false, table.concat(steps[i], " ") .. " failed" .. hint .. ": " .. table.concat(output, "\n"):sub(-800))
        else
          step(i + 1)
        end
      end,
    })
    if id <= 0 then
      finish(false, "could not run " .. steps[i][1])
    end
  end
  step(1)
end

function M.is_running()
  return running
end

return M
