-- over: keeps every event the rule can match
     (coalesce(regexp_matches(eventname, '(?s)^(Enable|Deactivate)MFA'), FALSE) OR coalesce(strlen(eventname) <> length(eventname), FALSE))
  OR (coalesce(regexp_matches(json_extract_string((CASE WHEN json_valid(requestparameters) THEN requestparameters END), '$."serialNumber"'), '(?is)MFA/[a-z]+$'), FALSE) OR ((coalesce(json_type((CASE WHEN json_valid(requestparameters) THEN requestparameters END), '$."serialNumber"') <> 'VARCHAR', FALSE) OR coalesce(json_type((CASE WHEN json_valid(requestparameters) THEN requestparameters END), '$') = 'ARRAY', FALSE)) OR coalesce(strlen(json_extract_string((CASE WHEN json_valid(requestparameters) THEN requestparameters END), '$."serialNumber"')) <> length(json_extract_string((CASE WHEN json_valid(requestparameters) THEN requestparameters END), '$."serialNumber"')), FALSE)))
-- under: keeps only events the rule surely matches (printed under NOT)
  FALSE
