/** The tools' one table writer: text alignment and Markdown escaping. */
import { type Column, markdownCell, markdownTable, textRow, textTable } from '../../../tools/table/table';

const COLUMNS: Column[] = [{ header: 'cluster' }, { header: 'pods', align: 'right' }, { header: 'note' }];

test('text tables pad each column to its widest cell, names left and numbers right, without trailing spaces', () => {
  expect(
    textTable(COLUMNS, [
      ['eks-prod', '12', 'spot'],
      ['aks', '7', ''],
    ]),
  ).toEqual(['cluster   pods  note', 'eks-prod    12  spot', 'aks          7']);
});

test('a fixed width holds for a table printed row by row', () => {
  const streamed: Column[] = [
    { header: 'fleet', width: 8 },
    { header: 'objects', width: 9, align: 'right' },
  ];
  expect(textRow(streamed, ['fleet', 'objects'])).toBe('fleet       objects');
  expect(textRow(streamed, ['declared', '526'])).toBe('declared        526');
});

test('markdown cells escape the pipe and fold line breaks, so a row stays one row', () => {
  expect(markdownCell('a|b\nc')).toBe('a\\|b c');
  expect(markdownTable(COLUMNS, [['eks|prod', '3', 'two\nlines']])).toEqual([
    '| cluster | pods | note |',
    '| --- | ---: | --- |',
    '| eks\\|prod | 3 | two lines |',
  ]);
});
