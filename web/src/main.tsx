import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { servedAt } from './api/mount-path.js';
import { App } from './app.js';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter basename={servedAt.mountPath || '/'}>
        <App />
      </BrowserRouter>
    </StrictMode>,
  );
}
