-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) OR coalesce(length(to_utf8(eventsource)) <> length(eventsource), FALSE)) AND (coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
