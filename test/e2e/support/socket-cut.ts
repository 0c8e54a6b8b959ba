import type { Page, WebSocketRoute } from 'playwright-core';

const socketUrl = /\/socket\.io\//;

/**
 * Cuts the page's Socket.IO traffic in the browser, as a broken network would: open WebSockets
 * are closed, new ones are refused and the long-polling requests fail. The server keeps running,
 * so the dashboard's REST polling still works. Install it before the page loads.
 */
export class SocketCut {
  private cut = false;
  /** Socket.IO moved from long-polling to the WebSocket (its upgrade packet, "5", went out). */
  private upgraded = false;
  private readonly open = new Set<WebSocketRoute>();

  constructor(private readonly page: Page) {}

  /** Proxy every WebSocket of socket.io to the server while the cut is off. */
  async install(): Promise<void> {
    await this.page.routeWebSocket(socketUrl, async (socket) => {
      if (this.cut) {
        await socket.close({ code: 1001, reason: 'cut by the e2e test' });
        return;
      }
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        if (message === '5') this.upgraded = true;
        server.send(message);
      });
      server.onMessage((message) => {
        socket.send(message);
      });
      this.open.add(socket);
    });
  }

  /** Has the page's socket left long-polling for the WebSocket? Cut before, a pending poll lingers. */
  get isUpgraded(): boolean {
    return this.upgraded;
  }

  /** Break the connection and keep it broken. */
  async start(): Promise<void> {
    this.cut = true;
    this.upgraded = false;
    await this.page.route(socketUrl, (route) => route.abort('connectionrefused'));
    const open = [...this.open];
    this.open.clear();
    await Promise.all(open.map((socket) => socket.close({ code: 1001, reason: 'cut' })));
  }

  /** Let the socket through again (Socket.IO reconnects by itself). */
  async end(): Promise<void> {
    this.cut = false;
    await this.page.unroute(socketUrl);
  }
}
