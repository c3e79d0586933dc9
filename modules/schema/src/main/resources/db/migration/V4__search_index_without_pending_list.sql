-- A GIN index puts new entries in a pending list first and merges them into the index in
-- batches, and every search reads that whole list: up to 4 MB (gin_pending_list_limit),
-- never emptied on a table that is only added to until autovacuum or an add that overflows
-- it merges it, that add then waiting for the merge. On the benchmark's 1,000,000 phrases a
-- list of 2.9 MB (4,000 new phrases) cut the search load from 220-266 to 134-161 requests a
-- second (docs/PERFORMANCE.md, Search). Without it each add updates the index itself: the adds
-- measured as fast, and searches stay as fast as on a freshly vacuumed table. The list that
-- exists now is merged here, once (the owner of the index may do both).
-- [jooq ignore start]
alter index phrase_text_lower_trigram set (fastupdate = off);
select gin_clean_pending_list('phrase_text_lower_trigram'::regclass);
-- [jooq ignore stop]
