-- Response links: the token and short code printed on a letter (a `letter`
-- record's `token` / `short_code`) or on a visit card (a `contact_moment`'s
-- `card_token` / `card_short_code`) are looked up in the stored fields; these
-- partial expression indexes make that a point lookup. The lookup queries use
-- exactly these expressions. Never edit this file once applied.

CREATE INDEX records_letter_token
    ON records (json_extract(fields, '$.token.v')) WHERE entity = 'letter';
CREATE INDEX records_letter_short_code
    ON records (replace(upper(json_extract(fields, '$.short_code.v')), '-', ''))
    WHERE entity = 'letter';
CREATE INDEX records_card_token
    ON records (json_extract(fields, '$.card_token.v')) WHERE entity = 'contact_moment';
CREATE INDEX records_card_short_code
    ON records (replace(upper(json_extract(fields, '$.card_short_code.v')), '-', ''))
    WHERE entity = 'contact_moment';
