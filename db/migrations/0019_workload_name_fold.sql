-- 0019_workload_name_fold.sql - an index on each workload's name
-- folded: blanks (spaces and tabs) removed, ASCII letters lowered. Two
-- names the API treats as the same (compared without case and extra blanks:
-- casefold_name_equal, for ASCII names) fold alike, so a write finds the names that may clash
-- with an index lookup (server/store/workloads.c) instead of reading every
-- workload's name. The second replace() removes tabs: a literal tab stands
-- between its quotes, as in the store's query (an index on an expression
-- serves only the same expression).
CREATE INDEX workloads_name_fold ON workloads(lower(replace(replace(name, ' ', ''), '	', '')));
