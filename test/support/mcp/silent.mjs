// A "server" that reads stdin and never answers initialize.
process.stdin.resume();
setInterval(() => undefined, 60_000);
