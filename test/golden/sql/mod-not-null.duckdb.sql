-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) OR coalesce(strlen(eventsource) <> length(eventsource), FALSE)) AND (NOT ((errorcode IS NULL) AND (NOT coalesce(strlen(errorcode) <> length(errorcode), FALSE)))))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (NOT coalesce(strlen(eventsource) <> length(eventsource), FALSE))) AND (NOT ((errorcode IS NULL) OR coalesce(strlen(errorcode) <> length(errorcode), FALSE))))
