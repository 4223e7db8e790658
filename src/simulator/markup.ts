// The class names the simulated pages use: the documented ones (../shared/docs/ofsted-site.md), and a renamed
// set for the 'changed-markup' fault, under which only the parsers' fallbacks can read the pages.

export interface Markup {
  resultsList: string;
  searchResult: string;
  resultTitle: string;
  providerInfo: string;
  address: string;
  resultsHeading: string;
  resultsCount: string;
  pagination: string;
  paginationPrev: string;
  paginationNext: string;
  paginationNumbers: string;
  heading: string;
  subheading: string;
  timeline: string;
  timelineDay: string;
  timelineDayOpened: string;
  timelineDate: string;
  publicationLink: string;
  nonvisual: string;
}

export const DOCUMENTED_MARKUP: Markup = {
  resultsList: 'results-list',
  searchResult: 'search-result',
  resultTitle: 'search-result__title',
  providerInfo: 'search-result__provider-info',
  address: 'search-result__address',
  resultsHeading: 'search-results__heading',
  resultsCount: 'results-count',
  pagination: 'pagination',
  paginationPrev: 'pagination__prev',
  paginationNext: 'pagination__next',
  paginationNumbers: 'pagination__numbers',
  heading: 'heading--title title-block__heading',
  subheading: 'title-block__subheading',
  timeline: 'timeline',
  timelineDay: 'timeline__day',
  timelineDayOpened: 'timeline__day timeline__day--opened',
  timelineDate: 'timeline__date',
  publicationLink: 'publication-link',
  nonvisual: 'nonvisual',
};

export const CHANGED_MARKUP: Markup = {
  resultsList: 'provider-results',
  searchResult: 'provider-result',
  resultTitle: 'provider-result__name',
  providerInfo: 'provider-result__facts',
  address: 'provider-result__location',
  resultsHeading: 'provider-results__summary',
  resultsCount: 'provider-results__total',
  pagination: 'pager',
  paginationPrev: 'pager__back',
  paginationNext: 'pager__forward',
  paginationNumbers: 'pager__position',
  heading: 'page-title',
  subheading: 'page-title__meta',
  timeline: 'event-list',
  timelineDay: 'event-list__item',
  timelineDayOpened: 'event-list__item event-list__item--milestone',
  timelineDate: 'event-list__date',
  publicationLink: 'document-link',
  nonvisual: 'visually-hidden',
};
