import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { validateWithoutEval } from '@safer-places/schemas';
import { SessionGate } from './app/SessionGate';
import './styles.css';

// The site's Content-Security-Policy allows no eval: validation must not probe for it.
validateWithoutEval();

const root = document.getElementById('root');
if (!root) throw new Error('Safer Places: #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <SessionGate />
  </StrictMode>,
);
