'use strict';

// Reports one error with an unchanged @sentry/node to the DSN in SENTRY_DSN, then prints the event id.
const Sentry = require('@sentry/node');
const { handleCheckout } = require('./src/handlers/checkout');

async function main() {
  Sentry.init({
    dsn: process.env.SENTRY_DSN,
    release: process.env.SENTRY_RELEASE,
    environment: 'vercel-production',
    initialScope: { tags: { 'vercel.deployment_id': 'dpl_node_test' } },
    tracesSampleRate: 0,
  });
  let eventId;
  try {
    handleCheckout({ cartId: 'cart_123' });
  } catch (error) {
    eventId = Sentry.captureException(error);
  }
  const flushed = await Sentry.flush(10000);
  console.log(JSON.stringify({ eventId, flushed }));
  await Sentry.close(2000);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
