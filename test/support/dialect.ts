/** Which decorator dialect this compiled copy of the tests was built with, for test titles. */
export const DIALECT = __filename.includes('test-tc39') ? 'TC39 decorators' : 'experimentalDecorators';
