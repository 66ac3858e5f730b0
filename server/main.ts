// The Sandbox Guard language server: `node dist/server.js --stdio`. stdout is the protocol, so nothing here
// may print; logging goes through the connection (window/logMessage).
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './startServer';

const connection = createConnection();

process.on('uncaughtException', (e) => {
  connection.console.error(`uncaught exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
});
process.on('unhandledRejection', (e) => {
  connection.console.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
});

startServer(connection);
