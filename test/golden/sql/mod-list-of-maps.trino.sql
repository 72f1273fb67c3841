-- over: keeps every event the rule can match
     (coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))
  OR ((coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)) AND ((errorcode IS NULL) OR coalesce(length(to_utf8(errorcode)) <> length(errorcode), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
     (coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE) AND (NOT coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)))
  OR ((coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) AND (NOT coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))) AND ((errorcode IS NULL) AND (NOT coalesce(length(to_utf8(errorcode)) <> length(errorcode), FALSE))))
