import { fireEvent, render, screen } from '@testing-library/react';
import { expect } from 'chai';
import { TestAlertPanel } from '../../web/src/pages/test-alert-panel.js';
import { fakeFetch } from './support/fake-fetch.js';
import { nth } from './support/nth.js';

describe('TestAlertPanel', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  it('should POST as JSON (Queuewatch answers 415 otherwise) and show each result', async () => {
    const api = fakeFetch(() => ({
      status: 200,
      body: { alert: {}, results: [{ destination: 'ops', type: 'log', outcome: 'delivered' }] },
    }));
    restore = api.restore;
    render(<TestAlertPanel />);
    fireEvent.click(screen.getByTestId('send-test-alert'));
    const result = await screen.findByTestId('test-alert-result');
    expect(result.textContent).to.include('ops');
    expect(api.requests).to.have.length(1);
    const request = nth(api.requests, 0);
    expect(request).to.deep.include({ url: '/api/v1/alerts/test', method: 'POST' });
    expect(request.headers['content-type']).to.equal('application/json');
  });
});
