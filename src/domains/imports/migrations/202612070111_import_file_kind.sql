-- An import's file is a CSV or an Excel workbook (.xlsx); only the row reader differs (rows.ts).
alter table imports add column file_kind text not null default 'csv' check (file_kind in ('csv', 'xlsx'));
