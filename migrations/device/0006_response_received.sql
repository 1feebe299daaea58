-- The reactions of the last days across all cases (the Vandaag screen),
-- newest first, without reading every response on the device.
-- Never edit this file once applied: add a new migration.
CREATE INDEX response_received ON response(received_at, id);
