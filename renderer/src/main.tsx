import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { z } from 'zod';
import { App } from './App';
import { BridgeProvider } from './bridge/BridgeContext';
import { createBridge } from './bridge/create-bridge';
import './styles.css';
import './print.css';

// Zod probes for eval to speed up parsing; under our CSP (no 'unsafe-eval') the probe is refused and
// reported as a policy violation. Without JIT it never probes.
z.config({ jitless: true });

const queryClient = new QueryClient({
  defaultOptions: {
    // Local commands fail for a reason worth showing, not a flaky network: no silent retries.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <BridgeProvider bridge={createBridge()}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </BridgeProvider>
  </StrictMode>,
);
