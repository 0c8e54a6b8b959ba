import { fireEvent, render, screen } from '@testing-library/react';
import { expect } from 'chai';
import type { ConsoleEvent } from '../../web/src/api/console-wire.js';
import { ConfirmDialog } from '../../web/src/components/confirm-dialog.js';
import { ProgressConnection } from '../../web/src/socket/progress-connection.js';
import { fakeSockets } from './support/fake-socket.js';
import { nth } from './support/nth.js';

describe('ProgressConnection', () => {
  describe('console events', () => {
    it('should relay job-log and operation-progress to every holder', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const heard: ConsoleEvent[][] = [[], []];
      const leases = [0, 1].map((index) =>
        connection.acquire({ onConsoleEvent: (event) => nth(heard, index).push(event) }),
      );
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      const log = { queueName: 'q', jobId: '1', offset: 0, lines: ['a'] };
      socket.push('job-log', log);
      expect(heard.map((events) => events.map((event) => event.type))).to.deep.equal([
        ['job-log'],
        ['job-log'],
      ]);
      for (const lease of leases) lease.release();
      expect(socket.listenerCount).to.equal(0);
    });
  });

  describe('.request', () => {
    it('should send nothing while the socket is down, and send once it is up', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const lease = connection.acquire({});
      const socket = nth(sockets.opened, 0);
      const follow = { queueName: 'q', jobId: '1', offset: 3 };
      expect(lease.request('subscribe-to-job-logs', follow)).to.equal(false);
      socket.serverConnects();
      expect(lease.request('subscribe-to-job-logs', follow)).to.equal(true);
      expect(socket.requests('subscribe-to-job-logs')).to.deep.equal([follow]);
      lease.release();
      expect(lease.request('subscribe-to-job-logs', follow)).to.equal(false);
    });
  });
});

describe('ConfirmDialog', () => {
  it('should keep Tab inside, and cancel on Escape', () => {
    let cancelled = 0;
    render(
      <ConfirmDialog
        title="Drain?"
        confirmLabel="Drain"
        onConfirm={() => undefined}
        onCancel={() => {
          cancelled += 1;
        }}
      >
        Gone for good.
      </ConfirmDialog>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Drain?' });
    expect(dialog.getAttribute('aria-modal')).to.equal('true');
    expect(screen.getByRole('dialog', { description: 'Gone for good.' })).to.equal(dialog);
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    const confirm = screen.getByRole('button', { name: 'Drain' });
    expect(document.activeElement).to.equal(cancel);
    confirm.focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).to.equal(cancel);
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).to.equal(confirm);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(cancelled).to.equal(1);
  });
});
