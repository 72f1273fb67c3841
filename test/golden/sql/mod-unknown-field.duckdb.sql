-- over: keeps every event the rule can match
     coalesce(lower(eventname) = 'consolelogin', FALSE)
  OR coalesce(strlen(eventname) <> length(eventname), FALSE)
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
