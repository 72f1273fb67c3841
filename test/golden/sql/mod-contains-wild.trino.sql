-- over: keeps every event the rule can match
  ((coalesce(lower(eventname) LIKE '%mfa%dev%' ESCAPE '\', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)) AND (coalesce(lower(useridentity.arn) LIKE '%:user/%' ESCAPE '\', FALSE) OR coalesce(length(to_utf8(useridentity.arn)) <> length(useridentity.arn), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventname) LIKE '%mfa%dev%' ESCAPE '\', FALSE) AND (NOT coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))) AND (coalesce(lower(useridentity.arn) LIKE '%:user/%' ESCAPE '\', FALSE) AND (NOT coalesce(length(to_utf8(useridentity.arn)) <> length(useridentity.arn), FALSE))))
