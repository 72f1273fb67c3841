-- over: keeps every event the rule can match
     coalesce(lower(eventname) = 'consolelogin', FALSE)
  OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
