" Vim compiler plugin for copylint: `:make` runs copylint and fills the
" quickfix list from its `--format short` output.
"
" Install: copy this file to ~/.vim/compiler/copylint.vim (Neovim:
" ~/.config/nvim/compiler/copylint.vim), then in a buffer `:compiler copylint`
" and `:make %` (this file) or `:make .` (the whole tree); `:copen` lists
" the findings. To use it for every Markdown and text buffer, add to vimrc:
"
"   autocmd FileType markdown,text compiler copylint
"
" Sourcing this file directly (`:source vim.vim`) sets the options for the
" current buffer only.
"
" Columns: copylint counts characters; %v reads them as screen columns,
" which agree except after a tab or a double-width character (%c would read
" bytes, off after any accented letter or curly quote).

if exists("current_compiler")
  finish
endif
let current_compiler = "copylint"

if exists(":CompilerSet") != 2
  command -nargs=* CompilerSet setlocal <args>
endif

" --fail-on never: findings are not a failure of :make.
CompilerSet makeprg=copylint\ --format\ short\ --fail-on\ never
" One pattern per severity: %t takes its first letter (e, w, i), which
" Vim shows as error, warning and info.
CompilerSet errorformat=%f:%l:%v:\ %trror:\ %m,%f:%l:%v:\ %tarning:\ %m,%f:%l:%v:\ %tnfo:\ %m
