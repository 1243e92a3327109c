-- :NilmapInstall: install (or reinstall) nilmap's language server for Neovim, in a
-- virtual environment of its own; see lua/nilmap/install.lua.
if vim.g.loaded_nilmap then
  return
end
vim.g.loaded_nilmap = true

vim.api.nvim_create_user_command("NilmapInstall", function(args)
  require("nilmap").install({ source = args.args ~= "" and args.args or nil })
end, { nargs = "?", force = true, desc = "Install nilmap's language server into a virtual environment of Neovim's (optional pip source)" })
