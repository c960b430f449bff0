/** Charts for /stats and /me: data in, a PNG and the same figures in words out. */
export { renderProgressChart } from './progressChart.ts';
export { renderStatsChart } from './statsChart.ts';
export { chartAttachment } from './attachment.ts';
