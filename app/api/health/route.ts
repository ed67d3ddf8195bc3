// Liveness for load balancers and the test harness. Says nothing about AWS or users.
export function GET() {
  return Response.json({ ok: true });
}
