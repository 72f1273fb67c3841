-- over: keeps every event the rule can match
     (coalesce(regexp_like(eventname, '(?s)^(Enable|Deactivate)MFA'), FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))
  OR (coalesce(regexp_like(json_extract_scalar(requestparameters, '$["serialNumber"]'), '(?is)MFA/[a-z]+$'), FALSE) OR ((coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["serialNumber"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE)) OR coalesce(length(to_utf8(json_extract_scalar(requestparameters, '$["serialNumber"]'))) <> length(json_extract_scalar(requestparameters, '$["serialNumber"]')), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
