-- nilmap for Neovim: starts the nilmap language server (`nilmap-lsp`) for Go buffers.
--
--   require("nilmap").setup({
--     cmd = nil,                                   -- default: nilmap-lsp on PATH, else :NilmapInstall's
--     auto_install = false,                        -- true: install the server on first use
--     settings = { rules = { NM001 = { enabled = true, severity = "error" } }, exclude = {} },
--     on_attach = function(client, bufnr) end,    -- passed through to the client
--   })
--
-- On Neovim 0.11+ the server is registered with vim.lsp.config()/vim.lsp.enable(). On older
-- versions (0.7+) a FileType autocmd starts one client per project root with
-- vim.lsp.start_client() and attaches it with vim.lsp.buf_attach_client(). The project root is
-- the nearest directory holding go.mod or .git, else the file's own directory.
local M = {}

local installer = require("nilmap.install")

M.name = "nilmap"
M.install_url = "https://github.com/nilmap/nilmap#install"

M.defaults = {
  -- nil: `nilmap-lsp` on PATH, else the environment :NilmapInstall made (install.lua).
  cmd = nil,
  -- true: when no server is found, install one into Neovim's own environment at once.
  auto_install = false,
  filetypes = { "go" },
  root_markers = { "go.mod", ".git" },
  -- The `nilmap` settings section: { rules = { NM001 = { enabled = true, severity = "error" } }, exclude = { "vendor/**" } }.
  -- Sent as initializationOptions and answered to workspace/configuration for section "nilmap".
  settings = {},
  on_attach = nil,
  capabilities = nil,
  -- Extra fields merged into the client config as they are (e.g. flags, handlers).
  client = {},
}

-- The options of the last setup() call, nil before it (health.lua reports on it), and
-- where its server command came from.
M.config = nil
M.origin = nil
local user_opts = nil

-- Client ids by root directory, for the pre-0.11 path.
local clients_by_root = {}
local warned_missing = false

local function has_native_config()
  return vim.fn.has("nvim-0.11") == 1 and type(vim.lsp.config) ~= "nil" and type(vim.lsp.enable) == "function"
end
M.has_native_config = has_native_config

local function exists(path)
  return (vim.loop or vim.uv).fs_stat(path) ~= nil
end

-- The nearest ancestor of `path` (a file or directory) that holds one of `markers`.
function M.find_root(path, markers)
  markers = markers or M.defaults.root_markers
  local dir = vim.fn.fnamemodify(path, ":p")
  if vim.fn.isdirectory(dir) == 0 then
    dir = vim.fn.fnamemodify(dir, ":h")
  end
  dir = dir:gsub("/+$", "")
  local start = dir ~= "" and dir or "/"
  local cur = start
  while true do
    for _, marker in ipairs(markers) do
      if exists(cur .. "/" .. marker) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ":h")
    if parent == cur or parent == "" then
      return start
    end
    cur = parent
  end
end

local function notify_missing(cmd)
  if warned_missing then
    return
  end
  warned_missing = true
  local what = cmd and string.format("the language server `%s` (setup's `cmd`) was not found", cmd[1])
    or "the language server `nilmap-lsp` was not found on PATH"
  vim.schedule(function()
    vim.notify(
      string.format(
        "nilmap: %s. Run :NilmapInstall to install it for Neovim, or install nilmap with `pipx install git+%s` (see %s).",
        what,
        installer.repository_url,
        M.install_url
      ),
      vim.log.levels.ERROR
    )
  end)
end

-- Whether the server command can run; tells the user once when it cannot.
function M.check_cmd(cmd)
  if cmd and vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  notify_missing(cmd)
  return false
end

-- Installs the server into Neovim's own environment (:NilmapInstall), then starts it for
-- the open Go buffers.
function M.install(opts)
  opts = opts or {}
  local done = opts.on_done
  opts.on_done = function(ok, message)
    if ok and M.config then
      warned_missing = false
      M.setup(user_opts)
    end
    if done then
      done(ok, message)
    end
  end
  installer.install(opts)
end

-- The settings as they go on the wire: nil when empty (a Lua {} would be sent as the JSON
-- list []), and no empty `rules` table for the same reason.
local function wire_settings(settings)
  if type(settings) ~= "table" then
    return nil
  end
  local out = vim.deepcopy(settings)
  if type(out.rules) == "table" and next(out.rules) == nil then
    out.rules = nil
  end
  if next(out) == nil then
    return nil
  end
  return out
end
M._wire_settings = wire_settings

local function section_handler(settings)
  -- The client's `settings`, from which Neovim answers workspace/configuration for the
  -- "nilmap" section.
  return { nilmap = wire_settings(settings) }
end

local function client_config(cfg, root_dir)
  local conf = vim.tbl_deep_extend("force", {}, cfg.client or {}, {
    name = M.name,
    cmd = cfg.cmd,
    root_dir = root_dir,
    init_options = wire_settings(cfg.settings),
    settings = section_handler(cfg.settings),
    on_attach = cfg.on_attach,
    capabilities = cfg.capabilities or vim.lsp.protocol.make_client_capabilities(),
  })
  if root_dir then
    conf.workspace_folders = { { uri = vim.uri_from_fname(root_dir), name = root_dir } }
  end
  return conf
end

-- Pre-0.11: start (or reuse) the client for the buffer's root and attach it.
local function attach_legacy(bufnr)
  local cfg = M.config
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == "" or vim.bo[bufnr].buftype ~= "" then
    return
  end
  if not M.check_cmd(cfg.cmd) then
    return
  end
  local root = M.find_root(fname, cfg.root_markers)
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config(cfg, root))
    if not id then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function call(client, method, ...)
  -- Neovim 0.11 turned client.request/notify into methods (client:request); 0.7 has functions.
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

-- Pull diagnostics again for the client's buffers. Neovim 0.10+ pulls diagnostics
-- (textDocument/diagnostic) only after an edit and does not handle workspace/diagnostic/refresh,
-- so without this new settings would show only after the next edit.
local function repull_diagnostics(client)
  local caps = client.server_capabilities or {}
  if vim.fn.has("nvim-0.10") == 0 or not caps.diagnosticProvider then
    return
  end
  for bufnr in pairs(client.attached_buffers or {}) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      call(client, "request", "textDocument/diagnostic",
        { textDocument = vim.lsp.util.make_text_document_params(bufnr) }, nil, bufnr)
    end
  end
end

-- Sends the current settings to running nilmap clients (workspace/didChangeConfiguration).
function M.notify_settings(settings)
  if settings ~= nil and M.config then
    M.config.settings = settings
  end
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get()) do
    if client.name == M.name then
      client.config.settings = section_handler(M.config.settings)
      call(client, "notify", "workspace/didChangeConfiguration", { settings = { nilmap = wire_settings(M.config.settings) or vim.empty_dict() } })
      repull_diagnostics(client)
    end
  end
end

local function define_commands()
  -- Also in plugin/nilmap.lua; here too for setups that load no plugin/ scripts.
  vim.api.nvim_create_user_command("NilmapInstall", function(args)
    M.install({ source = args.args ~= "" and args.args or nil })
  end, { nargs = "?", force = true, desc = "Install nilmap's language server into a virtual environment of Neovim's" })
end

function M.setup(opts)
  user_opts = opts
  define_commands()
  local cfg = vim.tbl_deep_extend("force", {}, M.defaults, opts or {})
  if type(cfg.cmd) == "string" then
    cfg.cmd = { cfg.cmd }
  end
  local given = cfg.cmd
  M.given_cmd = given
  cfg.cmd, M.origin = installer.resolve(given)
  M.config = cfg
  if cfg.cmd == nil then
    if given == nil and cfg.auto_install and not installer.is_running() then
      M.install()
      return
    end
    cfg.cmd = given -- kept for the message and :checkhealth
  end

  if has_native_config() then
    vim.lsp.config(M.name, vim.tbl_deep_extend("force", {}, cfg.client or {}, {
      cmd = cfg.cmd,
      filetypes = cfg.filetypes,
      root_markers = cfg.root_markers,
      init_options = wire_settings(cfg.settings),
      settings = section_handler(cfg.settings),
      on_attach = cfg.on_attach,
      capabilities = cfg.capabilities,
    }))
    if M.check_cmd(cfg.cmd) then
      vim.lsp.enable(M.name)
      -- vim.lsp.enable() attaches buffers that are already open only once Neovim has
      -- finished starting; do it for setup() calls made before that (e.g. from -c).
      if vim.v.vim_did_enter == 0 then
        for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
          if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, vim.bo[bufnr].filetype) then
            pcall(vim.api.nvim_exec_autocmds, "FileType", { group = "nvim.lsp.enable", buffer = bufnr, modeline = false })
          end
        end
      end
    end
    return
  end

  local group = vim.api.nvim_create_augroup("nilmap", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = cfg.filetypes,
    callback = function(args)
      attach_legacy(args.buf)
    end,
  })
  -- Buffers already open when setup() runs (e.g. setup called lazily).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, vim.bo[bufnr].filetype) then
      attach_legacy(bufnr)
    end
  end
end

return M
