-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) OR coalesce(length(to_utf8(eventsource)) <> length(eventsource), FALSE)) AND ((errorcode IS NULL) OR coalesce(length(to_utf8(errorcode)) <> length(errorcode), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (NOT coalesce(length(to_utf8(eventsource)) <> length(eventsource), FALSE))) AND ((errorcode IS NULL) AND (NOT coalesce(length(to_utf8(errorcode)) <> length(errorcode), FALSE))))
