-- over: keeps every event the rule can match
  TRUE
-- under: keeps only events the rule surely matches (printed under NOT)
     (coalesce(lower(eventname) = 'createuser', FALSE) AND (NOT coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE)))
  OR (NOT (coalesce(lower(json_extract_scalar(requestparameters, '$["a"]["b"]')) = 'x', FALSE) OR ((coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["a"]["b"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$["a"]')) IS NOT NULL, FALSE) OR coalesce(strpos(requestparameters, '"a.b"') > 0, FALSE)) OR coalesce(length(to_utf8(json_extract_scalar(requestparameters, '$["a"]["b"]'))) <> length(json_extract_scalar(requestparameters, '$["a"]["b"]')), FALSE))))
