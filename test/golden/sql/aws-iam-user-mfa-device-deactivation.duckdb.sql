-- over: keeps every event the rule can match
  ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) OR coalesce(strlen(eventsource) <> length(eventsource), FALSE)) AND (coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(strlen(eventname) <> length(eventname), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
