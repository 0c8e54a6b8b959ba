import { render, screen } from '@testing-library/react';
import { expect } from 'chai';
import { WebSocketStatus } from '../../web/src/components/web-socket-status.js';

describe('WebSocketStatus', () => {
  describe('variant "badge"', () => {
    it('should say "Live" while connected', () => {
      render(<WebSocketStatus isConnected error={null} />);
      const status = screen.getByTestId('ws-status');
      expect(status.textContent).to.equal('Live');
      expect(status.dataset.state).to.equal('live');
      expect(status.className).to.include('ws-status--live');
      expect(status.title).to.equal('Live updates over WebSocket');
    });

    it('should say "Polling" while disconnected, with the error as its tooltip', () => {
      render(<WebSocketStatus isConnected={false} error="connection lost (transport close)" />);
      const status = screen.getByTestId('ws-status');
      expect(status.textContent).to.equal('Polling');
      expect(status.dataset.state).to.equal('polling');
      expect(status.className).to.include('ws-status--polling');
      expect(status.title).to.equal(
        'Socket down: polling every 1 s (connection lost (transport close))',
      );
    });
  });

  describe('variant "icon"', () => {
    it('should name its state for assistive technology, and draw a struck-through icon', () => {
      const { container } = render(
        <WebSocketStatus isConnected={false} error="xhr poll error" variant="icon" />,
      );
      const status = screen.getByRole('img');
      expect(status.getAttribute('aria-label')).to.equal(
        'Polling: Socket down: polling every 1 s (xhr poll error)',
      );
      expect(container.querySelectorAll('svg path')).to.have.length(4);
    });

    it('should draw the whole icon when live', () => {
      const { container } = render(<WebSocketStatus isConnected variant="icon" />);
      expect(container.querySelectorAll('svg path')).to.have.length(3);
      expect(screen.getByRole('img').getAttribute('aria-label')).to.match(/^Live/);
    });
  });

  describe('variant "full"', () => {
    it('should write the error out', () => {
      render(<WebSocketStatus isConnected={false} error="xhr poll error" variant="full" />);
      expect(screen.getByTestId('ws-status-error').textContent).to.equal('xhr poll error');
      expect(screen.getByRole('status').textContent).to.include('Polling');
    });

    it('should show no error when there is none', () => {
      render(<WebSocketStatus isConnected variant="full" />);
      expect(screen.queryByTestId('ws-status-error')).to.equal(null);
    });
  });
});
