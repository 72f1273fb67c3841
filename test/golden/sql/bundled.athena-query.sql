SELECT "$path" AS path,
       eventversion,
       json_format(CAST(useridentity AS JSON)) AS useridentity,
       eventtime,
       eventsource,
       eventname,
       awsregion,
       sourceipaddress,
       useragent,
       errorcode,
       errormessage,
       requestparameters,
       responseelements,
       additionaleventdata,
       requestid,
       eventid,
       readonly,
       json_format(CAST(resources AS JSON)) AS resources,
       eventtype,
       apiversion,
       recipientaccountid,
       serviceeventdetails,
       sharedeventid,
       vpcendpointid,
       vpcendpointaccountid,
       eventcategory,
       json_format(CAST(addendum AS JSON)) AS addendum,
       sessioncredentialfromconsole,
       edgedevicedetails,
       json_format(CAST(tlsdetails AS JSON)) AS tlsdetails
FROM "hunt"."cloudtrail"
WHERE
  ("timestamp" >= '2026/10/05' AND "timestamp" <= '2026/10/07' AND account IN ('111122223333') AND region IN ('us-east-1', 'eu-west-1'))
  AND (
       (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'failure', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))) AND (coalesce(lower(json_extract_scalar(additionaleventdata, '$["MFAUsed"]')) = 'yes', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(additionaleventdata, '$["MFAUsed"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(additionaleventdata, '$')) IS NOT NULL, FALSE))))
    OR ((coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'success', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))) AND (coalesce(lower(useridentity.type) = 'iamuser', FALSE) OR coalesce(lower(useridentity.type) = 'root', FALSE))) AND (NOT (coalesce(lower(json_extract_scalar(additionaleventdata, '$["MFAUsed"]')) = 'yes', FALSE) AND (NOT (coalesce(NOT starts_with(json_format(json_extract(additionaleventdata, '$["MFAUsed"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(additionaleventdata, '$')) IS NOT NULL, FALSE))))))
    OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'failure', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))))
    OR (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(lower(eventname) = 'deletevirtualmfadevice', FALSE)))
    OR (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'enablemfadevice', FALSE))
    OR ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (coalesce(lower(eventname) = 'createvirtualmfadevice', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE))) AND (coalesce(lower(eventname) = 'createvirtualmfadevice', FALSE) OR (coalesce(lower(eventname) = 'enablemfadevice', FALSE) AND (NOT ((json_extract_scalar(requestparameters, '$["userName"]') IS NULL) AND (NOT (coalesce(NOT starts_with(json_format(json_extract(requestparameters, '$["userName"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(requestparameters, '$')) IS NOT NULL, FALSE)))))) OR ((coalesce(lower(eventname) = 'createvirtualmfadevice', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE)) AND coalesce(lower(useridentity.accesskeyid) LIKE 'asia%' ESCAPE '\', FALSE) AND (NOT coalesce(lower(sessioncredentialfromconsole) = 'true', FALSE)))))
    OR ((coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND (coalesce(lower(eventname) = 'createuser', FALSE) OR coalesce(lower(eventname) = 'createloginprofile', FALSE) OR coalesce(lower(eventname) = 'deleteloginprofile', FALSE) OR coalesce(lower(eventname) = 'enablemfadevice', FALSE) OR coalesce(lower(eventname) = 'deactivatemfadevice', FALSE) OR coalesce(lower(eventname) = 'deleteuser', FALSE))) OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE)))
    OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'success', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))))
    OR (coalesce(lower(eventsource) = 'iam.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'deactivatemfadevice', FALSE))
    OR ((coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'success', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))) AND coalesce(lower(useridentity.type) = 'iamuser', FALSE)) AND (NOT (coalesce(lower(json_extract_scalar(additionaleventdata, '$["MFAUsed"]')) = 'yes', FALSE) AND (NOT (coalesce(NOT starts_with(json_format(json_extract(additionaleventdata, '$["MFAUsed"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(additionaleventdata, '$')) IS NOT NULL, FALSE))))))
    OR (coalesce(lower(eventsource) = 'signin.amazonaws.com', FALSE) AND coalesce(lower(eventname) = 'consolelogin', FALSE) AND (coalesce(lower(json_extract_scalar(responseelements, '$["ConsoleLogin"]')) = 'failure', FALSE) OR (coalesce(NOT starts_with(json_format(json_extract(responseelements, '$["ConsoleLogin"]')), '"'), FALSE) OR coalesce(json_array_length(json_extract(responseelements, '$')) IS NOT NULL, FALSE))) AND coalesce(lower(useridentity.type) = 'root', FALSE))
  )
