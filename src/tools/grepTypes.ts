// File types for the JS grep fallback, copied from `rg --type-list` (ripgrep 15) so both backends agree.
const TABLE = `
c: *.[chH], *.[chH].in, *.cats
cmake: *.cmake, CMakeLists.txt
config: *.cfg, *.conf, *.config, *.ini
cpp: *.[ChH], *.[ChH].in, *.[ch]pp, *.[ch]pp.in, *.[ch]xx, *.[ch]xx.in, *.cc, *.cc.in, *.hh, *.hh.in, *.inl
csharp: *.cs
css: *.css, *.scss
dart: *.dart
docker: *Dockerfile*
elixir: *.eex, *.ex, *.exs, *.heex, *.leex, *.livemd
go: *.go
haskell: *.c2hs, *.cpphs, *.hs, *.hsc, *.lhs
html: *.ejs, *.htm, *.html
java: *.java, *.jsp, *.jspx, *.properties
js: *.cjs, *.js, *.jsx, *.mjs, *.vue
json: *.json, *.sarif, composer.lock
jsonl: *.jsonl
kotlin: *.kt, *.kts
less: *.less
lua: *.lua
make: *.mak, *.mk, Makefile.*, [Gg][Nn][Uu]makefile, [Gg][Nn][Uu]makefile.am, [Gg][Nn][Uu]makefile.in, [Mm]akefile, [Mm]akefile.am, [Mm]akefile.in
markdown: *.markdown, *.md, *.mdown, *.mdwn, *.mdx, *.mkd, *.mkdn
md: *.markdown, *.md, *.mdown, *.mdwn, *.mdx, *.mkd, *.mkdn
php: *.php, *.php3, *.php4, *.php5, *.php7, *.php8, *.pht, *.phtml
py: *.py, *.pyi
r: *.R, *.Rmd, *.Rnw, *.r, *.rmd, *.rnw
ruby: *.gemspec, *.rake, *.rb, *.rbw, .irbrc, Gemfile, Rakefile, config.ru
rust: *.rs
scala: *.sbt, *.scala
sh: *.bash, *.bashrc, *.csh, *.cshrc, *.env, *.ksh, *.kshrc, *.sh, *.tcsh, *.zsh, .bash_login, .bash_logout, .bash_profile, .bashrc, .cshrc, .env, .kshrc, .login, .logout, .profile, .tcshrc, .zlogin, .zlogout, .zprofile, .zshenv, .zshrc, bash_login, bash_logout, bash_profile, bashrc, profile, zlogin, zlogout, zprofile, zshenv, zshrc
sql: *.psql, *.sql
svelte: *.svelte, *.svelte.ts
swift: *.swift
tf: *.terraform.lock.hcl, *.terraformrc, *.tf, *.tf.json, *.tfrc, *.tfvars, *.tfvars.json, terraform.rc
toml: *.toml, Cargo.lock
ts: *.cts, *.mts, *.ts, *.tsx
txt: *.txt
vue: *.vue
xml: *.dtd, *.rng, *.sch, *.xhtml, *.xjb, *.xml, *.xml.dist, *.xsd, *.xsl, *.xslt
yaml: *.yaml, *.yml
zig: *.zig
`;

export const FILE_TYPES: Record<string, string[]> = Object.fromEntries(
  TABLE.trim()
    .split('\n')
    .map((line) => {
      const [name, globs] = line.split(': ');
      return [name!, globs!.split(', ')];
    }),
);
