// Thin client: starts `faultline lsp` and passes the settings on. All the work is in the server.
import { spawn } from "node:child_process";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function settings() {
  const config = vscode.workspace.getConfiguration("faultline");
  return {
    path: config.get<string>("path") || "faultline",
    server: config.get<string>("server") || undefined,
    refresh_interval_seconds: config.get<number>("refreshIntervalSeconds") ?? 60,
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const { path, server, refresh_interval_seconds } = settings();
  const serverOptions: ServerOptions = { command: path, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file" }],
    initializationOptions: { server, refresh_interval_seconds },
    outputChannelName: "Faultline",
  };
  client = new LanguageClient("faultline", "Faultline", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

/** Runs `faultline login` (device flow): shows the code, copies it, opens the browser. */
async function signIn(): Promise<void> {
  const { path, server } = settings();
  const args = ["login", ...(server ? ["--server", server] : [])];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Faultline: signing in", cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        const login = spawn(path, args, { env: { ...process.env, NO_COLOR: "1" } });
        token.onCancellationRequested(() => login.kill());
        let output = "";
        let opened = false;
        const onData = (data: Buffer) => {
          output += data.toString();
          const code = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(output)?.[1];
          const url = /(https?:\/\/\S+)/.exec(output)?.[1];
          if (code && url && !opened) {
            opened = true;
            void vscode.env.clipboard.writeText(code);
            progress.report({ message: `code ${code} copied; confirm it in the browser` });
            void vscode.env.openExternal(vscode.Uri.parse(url));
          }
        };
        login.stdout.on("data", onData);
        login.stderr.on("data", onData);
        login.on("error", (error) => {
          void vscode.window.showErrorMessage(`Faultline: cannot run ${path}: ${error.message}. Set faultline.path.`);
          resolve();
        });
        login.on("close", (code) => {
          if (code === 0) {
            void vscode.window.showInformationMessage("Faultline: signed in.");
            void client?.sendRequest("workspace/executeCommand", { command: "faultline.refresh", arguments: [] });
          } else if (code !== null) {
            void vscode.window.showErrorMessage(`Faultline: sign-in failed (exit ${code}). ${output.trim().split("\n").pop() ?? ""}`);
          }
          resolve();
        });
      }),
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("faultline.signIn", signIn),
    vscode.commands.registerCommand("faultline.refreshView", () =>
      client?.sendRequest("workspace/executeCommand", { command: "faultline.refresh", arguments: [] }),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("faultline.path")) {
        await client?.stop();
        await startClient(context);
      } else if (event.affectsConfiguration("faultline")) {
        const { server, refresh_interval_seconds } = settings();
        await client?.sendNotification("workspace/didChangeConfiguration", { settings: { server, refresh_interval_seconds } });
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
