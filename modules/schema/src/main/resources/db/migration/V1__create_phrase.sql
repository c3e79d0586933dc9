-- One row per added phrase. Duplicates are allowed on purpose: adding the same
-- phrase twice makes two entries.
create table phrase (
    -- Identity keys grow with every insert, so "newest first" is "highest id
    -- first" and the list page pages by keyset (id < ?) over the primary key
    -- index: no extra index and no offset scans, whatever the table's size.
    id         bigint generated always as identity
               constraint phrase_pk primary key,
    -- Same bound as the application's phrase rules (PhraseText): 1 to 280
    -- Unicode code points. char_length counts code points in a UTF-8 database.
    text       text not null
               constraint phrase_text_length check (char_length(text) between 1 and 280),
    created_at timestamp with time zone not null default now()
);
