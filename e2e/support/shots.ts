// Where screenshots go. A normal test run keeps them under test-results/ so
// `npm test` leaves the work tree clean; `npm run docs:screenshots` sets
// BERTH_DOCS_SHOTS=1 and they land in docs/screenshots for the README and guide.
export const SHOTS = process.env.BERTH_DOCS_SHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
