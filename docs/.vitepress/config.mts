import { defineConfig } from 'vitepress';

// The documentation site: `npm run docs:build` writes docs/.vitepress/dist (no network needed);
// `npm run docs:dev` serves it with live reload.
export default defineConfig({
  title: 'wattswap',
  description: 'Agent-based simulator of peer-to-peer energy trading between California households',
  srcExclude: ['figures/**'],
  cleanUrls: true,
  // links that leave docs/ point at repository files (they resolve on the repository's own pages)
  ignoreDeadLinks: [/^(\.\/)?\.\.\//],
  themeConfig: {
    sidebar: [
      { text: 'Start', items: [{ text: 'Overview', link: '/' }, { text: 'The command line', link: '/cli' }, { text: 'As a package', link: '/package' }] },
      {
        text: 'Data',
        items: [
          { text: 'Output files', link: '/output-files' },
          { text: 'Output contract', link: '/OUTPUTS' },
          { text: 'Input contract', link: '/INPUTS' },
          { text: 'Measured homes', link: '/measured-homes' },
        ],
      },
      { text: 'Models', items: [{ text: 'Forecasting and federated learning', link: '/forecasting' }] },
      {
        text: 'Running it',
        items: [
          { text: 'Server and dashboard', link: '/server' },
          { text: 'Performance', link: '/performance' },
          { text: 'Architecture', link: '/architecture' },
        ],
      },
    ],
  },
});
